// The "วางตาราง" box of the process editor and the copy buttons of unplaced text.
(function () {
  if (window.__importsLoaded) return;
  window.__importsLoaded = true;

  // A paste into the box: the clipboard's HTML (Word, LibreOffice, PDF readers) is what keeps
  // the cells apart; plain text (tab-separated) is the fallback. Either is posted for a preview.
  document.addEventListener("paste", function (e) {
    var target = e.target.closest && e.target.closest("#paste-text");
    if (!target) return;
    var data = e.clipboardData || window.clipboardData;
    if (!data) return;
    var html = data.getData("text/html") || "";
    var text = data.getData("text/plain") || "";
    if (!html && !text) return;
    e.preventDefault();
    var form = document.getElementById("paste-form");
    document.getElementById("paste-html").value = /<table/i.test(html) ? html : "";
    target.value = text || html.replace(/<[^>]+>/g, " ");
    document.getElementById("paste-preview").innerHTML = "";
    form.requestSubmit();
  });

  // Typing in the box after a paste: the text no longer matches the pasted HTML.
  document.addEventListener("input", function (e) {
    if (e.target.id === "paste-text") {
      document.getElementById("paste-html").value = "";
      document.getElementById("paste-preview").innerHTML = "";
    }
  });

  // The box opens empty, focused, ready for Ctrl+V.
  document.addEventListener("shown.bs.modal", function (e) {
    if (e.target.id !== "paste-modal") return;
    var box = document.getElementById("paste-text");
    if (box) box.focus();
  });
  document.addEventListener("hidden.bs.modal", function (e) {
    if (e.target.id !== "paste-modal") return;
    var done = document.querySelector("#paste-preview [data-role=paste-done]");
    if (done) {
      document.getElementById("paste-text").value = "";
      document.getElementById("paste-html").value = "";
      document.getElementById("paste-preview").innerHTML = "";
    }
  });

  // After the steps were added, the step table shows them (its own fragment, reloaded).
  document.body.addEventListener("paste-added", function () {
    var modal = document.getElementById("paste-modal");
    var table = document.getElementById("step-table");
    if (modal && table && window.htmx) {
      htmx.ajax("GET", modal.getAttribute("data-step-table-url"), { target: "#step-table", swap: "outerHTML" });
    }
  });

  // Copy an unplaced text, to paste it into the field where it belongs.
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-copy-text]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy-text"));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.innerText).then(function () {
      button.classList.add("btn-success");
      setTimeout(function () { button.classList.remove("btn-success"); }, 1200);
    });
  });
})();
