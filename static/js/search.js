// The navbar search box: "/" focuses it, ↓/↑ move through the suggestions, Esc closes them.
(function () {
  const input = document.getElementById("nav-search");
  const box = document.getElementById("nav-search-results");
  if (!input || !box) return;
  const options = () => Array.from(box.querySelectorAll("a.list-group-item"));
  const close = () => { box.innerHTML = ""; input.setAttribute("aria-expanded", "false"); };
  document.addEventListener("keydown", (event) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)
      || document.activeElement.isContentEditable;
    if (event.key === "/" && !typing) { event.preventDefault(); input.focus(); input.select(); }
  });
  box.addEventListener("htmx:afterSwap", () => {
    input.setAttribute("aria-expanded", options().length ? "true" : "false");
  });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.target === box) input.setAttribute("aria-expanded", options().length ? "true" : "false");
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && options().length) { event.preventDefault(); options()[0].focus(); }
    if (event.key === "Escape") close();
  });
  box.addEventListener("keydown", (event) => {
    const list = options();
    const index = list.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && index < list.length - 1) { event.preventDefault(); list[index + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (index > 0 ? list[index - 1] : input).focus(); }
    if (event.key === "Escape") { close(); input.focus(); }
  });
  document.addEventListener("click", (event) => { if (!box.contains(event.target) && event.target !== input) close(); });
})();
