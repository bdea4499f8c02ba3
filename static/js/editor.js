/* In-place editing: htmx response handling, keyboard, drag to reorder, messages. */
(function () {
  "use strict";
  // Invalid data (422), stale data (409) and bad requests (400) carry their Thai message in
  // the fragment: swap it in place. 403/404/500 go to the message area instead.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "(400|409|422)", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ];

  function csrf() {
    var el = document.querySelector("[name=csrfmiddlewaretoken]");
    if (el) return el.value;
    var m = document.cookie.match(/csrftoken=([^;]+)/);
    return m ? m[1] : "";
  }

  function toast(html, kind) {
    var area = document.getElementById("messages");
    if (!area) return;
    var div = document.createElement("div");
    div.className = "alert alert-" + (kind || "danger") + " alert-dismissible shadow";
    div.setAttribute("role", "alert");
    div.innerHTML = html + '<button type="button" class="btn-close" data-bs-dismiss="alert" aria-label="ปิด"></button>';
    area.appendChild(div);
    setTimeout(function () { div.remove(); }, 12000);
  }
  window.editorToast = toast;

  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    if (xhr.status === 403 || xhr.status === 404) {
      var tmp = document.createElement("div");
      tmp.innerHTML = xhr.responseText;
      var msg = tmp.querySelector("[data-message]");
      toast(msg ? msg.innerHTML : (xhr.status === 403 ? "คุณไม่มีสิทธิ์ทำรายการนี้" : "ไม่พบข้อมูลนี้ อาจถูกลบไปแล้ว โปรดโหลดหน้าใหม่"));
    } else {
      toast("ระบบขัดข้อง ยังไม่ได้บันทึก โปรดลองอีกครั้ง (" + xhr.status + ")");
    }
  });
  document.addEventListener("htmx:sendError", function () {
    toast("เชื่อมต่อเซิร์ฟเวอร์ไม่ได้ ยังไม่ได้บันทึก โปรดตรวจสอบการเชื่อมต่อแล้วลองอีกครั้ง");
  });

  // Only one "new step" form at a time.
  document.addEventListener("htmx:beforeRequest", function (e) {
    if (e.detail.elt && e.detail.elt.hasAttribute("data-new-step")) {
      var old = document.getElementById("new-step-row");
      if (old) old.remove();
    }
  });

  // Focus the first field of a form that was just swapped in; re-focus a moved row.
  document.addEventListener("htmx:afterSettle", function (e) {
    var target = e.detail.elt;
    var form = target && target.querySelector ? target.querySelector("form[data-inline]") : null;
    if (form) {
      var first = form.querySelector("[autofocus]") || form.querySelector("input:not([type=hidden]), textarea, select");
      if (first) first.focus();
    }
    var again = window.sessionStorage.getItem("focus-row");
    if (again) {
      window.sessionStorage.removeItem("focus-row");
      var row = document.getElementById(again);
      if (row) row.focus();
    }
    initSortable(document);
  });

  document.addEventListener("keydown", function (e) {
    var el = e.target;
    var form = el.closest && el.closest("form[data-inline]");
    if (form) {
      if (e.key === "Escape") {
        var cancel = form.querySelector("[data-cancel]");
        if (cancel) { e.preventDefault(); cancel.click(); }
      } else if (e.key === "Enter" && el.tagName === "TEXTAREA" && !e.shiftKey && !e.isComposing) {
        // Enter saves; Shift+Enter starts a new line inside the cell.
        e.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    var row = el.closest && el.closest("tr[data-row]");
    if (row && el === row) {
      var click = function (sel) { var b = row.querySelector(sel); if (b) { e.preventDefault(); b.click(); } };
      if (e.key === "Enter") click(".js-edit");
      else if (e.altKey && e.key === "ArrowUp") { sessionStorage.setItem("focus-row", row.id); click(".js-up"); }
      else if (e.altKey && e.key === "ArrowDown") { sessionStorage.setItem("focus-row", row.id); click(".js-down"); }
      else if (e.key === "ArrowDown" && row.nextElementSibling) { e.preventDefault(); row.nextElementSibling.focus(); }
      else if (e.key === "ArrowUp" && row.previousElementSibling) { e.preventDefault(); row.previousElementSibling.focus(); }
    }
  });

  function initSortable(root) {
    if (!window.Sortable) return;
    root.querySelectorAll("tbody[data-sortable]:not([data-sortable-on])").forEach(function (body) {
      body.setAttribute("data-sortable-on", "1");
      Sortable.create(body, {
        handle: ".drag-handle",
        draggable: "tr[data-move-url]",
        animation: 120,
        onEnd: function (evt) {
          if (evt.oldIndex === evt.newIndex) return;
          var rows = Array.prototype.slice.call(body.querySelectorAll("tr[data-move-url]"));
          var position = rows.indexOf(evt.item) + 1;
          htmx.ajax("POST", evt.item.getAttribute("data-move-url"), {
            target: body.getAttribute("data-sortable"),
            swap: "outerHTML",
            values: { to_position: position },
            headers: { "X-CSRFToken": csrf() },
          });
        },
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { initSortable(document); });
})();
