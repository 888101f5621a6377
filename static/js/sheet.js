// Criterion sheet: autosave of the texts and insertion of evidence codes.
//
// Autosave posts the whole form in the background (header X-Autosave) a moment after the user
// stops typing. The script never rewrites what was typed: when a save fails (no network, the
// sheet saved by someone else meanwhile = 409, no longer allowed = 403) the text stays in the
// boxes and the status line says so in the page's language (messages come from data-msg-*
// attributes rendered by the template, so they are translated like the rest of the page).
(function () {
  "use strict";

  var DELAY_MS = 1500;
  var form = document.getElementById("sheet-form");
  var status = document.getElementById("autosave-status");
  var lastBox = null; // the textarea where an evidence code goes

  function stateBoxes() {
    return form ? form.querySelectorAll("textarea[name^='state_']") : [];
  }

  // ---- evidence codes ------------------------------------------------------------------------
  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (form && el.tagName === "TEXTAREA" && form.contains(el)) {
      lastBox = el;
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-evidence-code]") : null;
    if (!button || !form) {
      return;
    }
    var box = lastBox || stateBoxes()[0];
    if (!box || box.disabled) {
      return;
    }
    var code = button.getAttribute("data-evidence-code");
    var start = box.selectionStart == null ? box.value.length : box.selectionStart;
    var end = box.selectionEnd == null ? start : box.selectionEnd;
    var before = box.value.slice(0, start);
    var after = box.value.slice(end);
    var text = (before && !/\s$/.test(before) ? " " : "") + code;
    box.value = before + text + after;
    var caret = before.length + text.length;
    box.focus();
    box.setSelectionRange(caret, caret);
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });

  // ---- autosave ------------------------------------------------------------------------------
  if (!form || form.getAttribute("data-autosave") !== "1" || !window.fetch) {
    return;
  }

  var timer = null;
  var inFlight = false;
  var again = false; // an edit arrived while a save was in flight
  var dirty = false;
  var blocked = false; // conflict or refusal: saving again would not help
  var submitting = false;

  function msg(name) {
    return form.getAttribute("data-msg-" + name) || "";
  }

  function show(text, kind) {
    status.textContent = text;
    status.className = "small mb-2 " + (kind === "error" ? "alert alert-danger py-1 px-2" : kind === "ok" ? "text-success" : "text-muted");
    status.setAttribute("role", kind === "error" ? "alert" : "status");
    status.setAttribute("data-state", kind);
  }

  function schedule() {
    dirty = true;
    if (blocked) {
      return;
    }
    show(msg("pending"), "pending");
    clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  }

  function save() {
    if (blocked || submitting) {
      return;
    }
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    again = false;
    show(msg("saving"), "pending");
    fetch(window.location.pathname, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Autosave": "1" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (data) {
            if (response.ok) {
              form.querySelector("input[name='version']").value = data.version;
              if (!again) {
                dirty = false;
              }
              show(data.message || "", "ok");
              return;
            }
            if (response.status === 409 || response.status === 403) {
              blocked = true;
            }
            show(data.error || msg("failed"), "error");
          });
      })
      .catch(function () {
        show(msg("network"), "error");
      })
      .then(function () {
        inFlight = false;
        if (again && !blocked) {
          clearTimeout(timer);
          timer = setTimeout(save, DELAY_MS);
        }
      });
  }

  form.addEventListener("input", function (event) {
    if (event.target.type !== "hidden") {
      schedule();
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target.type === "date") {
      schedule();
    }
  });
  form.addEventListener("submit", function () {
    submitting = true;
    clearTimeout(timer);
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = msg("leave");
      return msg("leave");
    }
  });
})();
