// Small page behaviours wired by data attributes instead of inline handlers, so that the
// Content-Security-Policy of production allows no inline script at all.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var tab = e.target.closest("[data-preview-tab]");
    if (tab) { showPreview(tab.getAttribute("data-preview-tab")); return; }
    var el = e.target.closest("[data-action]");
    if (!el) return;
    var action = el.getAttribute("data-action");
    if (action === "remove-row") {
      var row = el.closest("tr");
      if (row) row.remove();
    } else if (action === "print") {
      window.print();
    } else if (action === "check-all") {
      document.querySelectorAll(el.getAttribute("data-target")).forEach(function (box) {
        box.checked = el.checked;
      });
    }
  });
  document.addEventListener("change", function (e) {
    var el = e.target.closest("[data-action='set-form-action']");
    if (el && el.form) el.form.action = el.value;
  });

  // The editor's preview of Tables 3, 5 and 4: one visible at a time, kept across HTMX swaps.
  var currentPreview = "t3";
  function showPreview(which) {
    if (which) currentPreview = which;
    ["t3", "t5", "t4"].forEach(function (x) {
      var el = document.getElementById("pv-" + x);
      if (el) el.classList.toggle("d-none", x !== currentPreview);
    });
    document.querySelectorAll("[data-preview-tab]").forEach(function (b) {
      b.classList.toggle("active", b.getAttribute("data-preview-tab") === currentPreview);
    });
  }
  document.addEventListener("htmx:afterSettle", function (e) {
    if (e.detail.elt.id === "preview") showPreview();
  });
})();
