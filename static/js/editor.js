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
      } else if (e.key === "Enter" && el.tagName === "TEXTAREA" && (e.ctrlKey || e.metaKey) && !e.isComposing) {
        // In a multi-line field Enter makes a new line (as in Word); Ctrl+Enter saves.
        // Single-line fields keep the browser's Enter-submits.
        e.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    if (e.key === "Enter" && el.tagName === "TEXTAREA" && (e.ctrlKey || e.metaKey) && el.form && !e.isComposing) {
      e.preventDefault();
      el.form.requestSubmit();
    }
    var row = el.closest && el.closest("tr[data-row]");
    if (row && el === row) {
      var click = function (sel) { var b = row.querySelector(sel); if (b) { e.preventDefault(); b.click(); } };
      if (e.key === "Enter") click(".js-edit");
      else if (e.altKey && e.key === "ArrowUp") { sessionStorage.setItem("focus-row", row.id); click(".js-up"); }
      else if (e.altKey && e.key === "ArrowDown") { sessionStorage.setItem("focus-row", row.id); click(".js-down"); }
      else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        // Skip the comment rows opened below steps.
        var sib = e.key === "ArrowDown" ? "nextElementSibling" : "previousElementSibling";
        var next = row[sib];
        while (next && !next.hasAttribute("data-row")) next = next[sib];
        if (next) { e.preventDefault(); next.focus(); }
      }
    }
  });

  // Comments on a step, a process or the edition, opened in place: a step's thread in a row
  // below it, a process's or the edition's in the panel named by data-comments-slot. Adding,
  // replying, resolving and reopening swap the thread (reviews/_comments.html) in place.
  function setExpanded(key, open) {
    document.querySelectorAll('[data-comments-key="' + key + '"]').forEach(function (b) {
      b.setAttribute("aria-expanded", open ? "true" : "false");
      b.classList.toggle("active", open);
    });
  }

  function closeComments(key, panel) {
    if (panel) {
      panel.hidden = true;
      var body = panel.querySelector(".comment-slot") || panel;
      body.innerHTML = "";
    } else {
      var row = document.getElementById("comments-row-" + key);
      if (row) row.remove();
    }
    setExpanded(key, false);
  }

  function toggleComments(btn) {
    var key = btn.getAttribute("data-comments-key");
    var slotSelector = btn.getAttribute("data-comments-slot");
    var target;
    if (slotSelector) {
      var panel = document.querySelector(slotSelector);
      if (!panel) return;
      if (!panel.hidden) { closeComments(key, panel); return; }
      panel.hidden = false;
      target = panel.querySelector(".comment-slot") || panel;
    } else {
      if (document.getElementById("comments-row-" + key)) { closeComments(key); return; }
      var row = btn.closest("tr");
      var tr = document.createElement("tr");
      tr.id = "comments-row-" + key;
      tr.className = "comment-row";
      var td = document.createElement("td");
      td.colSpan = row.children.length;
      target = document.createElement("div");
      target.className = "comment-slot";
      td.appendChild(target);
      tr.appendChild(td);
      row.after(tr);
    }
    target.innerHTML = '<span class="spinner-border spinner-border-sm text-secondary" role="status"></span>';
    setExpanded(key, true);
    htmx.ajax("GET", btn.getAttribute("data-comments-url"), { target: target, swap: "innerHTML" }).then(function () {
      var box = target.querySelector(".comment-form textarea");
      if (box) box.focus({ preventScroll: true });
    });
  }

  document.addEventListener("click", function (e) {
    var btn = e.target.closest("[data-comments-url]");
    if (btn) { e.preventDefault(); toggleComments(btn); return; }
    var close = e.target.closest("[data-comments-close]");
    if (close) {
      var panel = document.querySelector(close.getAttribute("data-comments-close"));
      var toggle = document.querySelector('[data-comments-slot="' + close.getAttribute("data-comments-close") + '"]');
      if (panel && toggle) closeComments(toggle.getAttribute("data-comments-key"), panel);
    }
  });

  // After a thread changed (or a step row was redrawn), bring the badges in line with it.
  function syncCommentBadges() {
    document.querySelectorAll(".comments[data-open-count]").forEach(function (box) {
      var key = box.id.replace(/^comments-/, "");
      var n = parseInt(box.getAttribute("data-open-count"), 10) || 0;
      document.querySelectorAll('[data-comments-key="' + key + '"]').forEach(function (b) {
        b.classList.toggle("btn-warning", n > 0);
        b.classList.toggle("btn-outline-secondary", n === 0);
        var count = b.querySelector(".comment-count");
        if (count) count.textContent = n > 0 ? box.getAttribute("data-open-label") : "";
      });
    });
    document.querySelectorAll("[data-comments-key]:not([data-comments-slot])").forEach(function (b) {
      var open = !!document.getElementById("comments-row-" + b.getAttribute("data-comments-key"));
      b.setAttribute("aria-expanded", open ? "true" : "false");
      b.classList.toggle("active", open);
    });
  }
  document.addEventListener("htmx:afterSettle", syncCommentBadges);

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

  // Length limits: a counter under every limited field (data-maxlength, set by the forms), red
  // past the limit. Nothing is cut: the server refuses an over-long text with a Thai message
  // and the text stays in the field.
  var THAI = "๐๑๒๓๔๕๖๗๘๙";
  function localDigits(n) {
    var s = n.toLocaleString("en-US");
    if (!(document.documentElement.lang || "th").startsWith("th")) return s;
    return s.replace(/[0-9]/g, function (d) { return THAI[+d]; });
  }
  function updateCounter(field) {
    var limit = parseInt(field.getAttribute("data-maxlength"), 10);
    var counter = field._counter;
    if (!counter) {
      counter = document.createElement("div");
      counter.className = "form-text char-count text-end";
      counter.setAttribute("aria-live", "polite");
      field._counter = counter;
      field.insertAdjacentElement("afterend", counter);
    }
    var length = field.value.length;
    counter.textContent = localDigits(length) + " / " + localDigits(limit);
    var over = length > limit;
    counter.classList.toggle("text-danger", over);
    counter.classList.toggle("fw-bold", over);
    field.classList.toggle("is-invalid", over);
    // only the fields that have something to say show their counter, and long ones always
    counter.hidden = !over && length < limit * 0.8 && field.tagName !== "TEXTAREA";
  }
  function initCounters(root) {
    root.querySelectorAll("[data-maxlength]").forEach(function (field) {
      if (!field._counter) updateCounter(field);
    });
  }
  document.addEventListener("input", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-maxlength")) updateCounter(e.target);
  });
  document.addEventListener("DOMContentLoaded", function () { initCounters(document); });
  document.addEventListener("htmx:afterSettle", function () { initCounters(document); });
})();

// Searchable checkbox lists (processes/_picker.html): typing hides the names that do not match.
(function () {
  document.addEventListener("input", function (e) {
    var search = e.target;
    if (!search.classList || !search.classList.contains("picker-search")) return;
    var picker = search.closest("[data-picker]");
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    picker.querySelectorAll(".picker-option").forEach(function (option) {
      var text = option.textContent.toLowerCase();
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      option.hidden = !match;
      if (match) shown += 1;
    });
    var none = picker.querySelector(".picker-none");
    if (none) none.hidden = shown > 0;
  });
  // Enter in the search box filters, never submits the step form
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.classList && e.target.classList.contains("picker-search")) {
      e.preventDefault();
    }
  });
})();
