// node check.mjs FILE.bpmn -> prints {"warnings": [...], "root": "...", "elements": n} as JSON;
// exits 1 when bpmn-moddle could not read the file or warned about anything.
import { readFileSync } from "node:fs";
import BpmnModdle from "bpmn-moddle";

const xml = readFileSync(process.argv[2], "utf8");
const moddle = new BpmnModdle();
try {
  const { rootElement, warnings, elementsById } = await moddle.fromXML(xml);
  const report = {
    root: rootElement.$type,
    elements: Object.keys(elementsById).length,
    warnings: warnings.map((w) => w.message),
  };
  console.log(JSON.stringify(report));
  process.exit(warnings.length ? 1 : 0);
} catch (error) {
  console.log(JSON.stringify({ error: String(error.message || error), warnings: [] }));
  process.exit(1);
}
