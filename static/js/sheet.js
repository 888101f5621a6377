// Self-assessment pages (criterion sheet, per-standard texts, Mức 4 requirements): autosave of
// the texts, evidence citations, and the answers htmx would otherwise drop.
//
// Autosave posts the whole form in the background (header X-Autosave) a moment after the user
// stops typing. The script never rewrites what was typed: when a save fails (no network, the
// page saved by someone else meanwhile = 409, no longer allowed = 403) the text stays in the
// boxes and the status line says so in the page's language (messages come from data-msg-*
// attributes rendered by the template, so they are translated like the rest of the page). The
// status says "saved" only when what is on the screen is what the server has.
(function () {
  "use strict";

  var DELAY_MS = 1500;
  var sheetForm = document.getElementById("sheet-form");
  var form = document.querySelector("form[data-autosave]") || sheetForm;
  var status = document.getElementById("autosave-status");
  var lastBox = null; // the textarea where an evidence code goes

  // ---- answers to show even when they are errors ---------------------------------------------
  // A click refused because the page is stale (409) or no longer allowed (403) comes back with
  // the message and the current state; htmx does not swap 4xx answers unless told to.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var code = event.detail.xhr ? event.detail.xhr.status : 0;
    // The event fires on the target; the element that sent the request is in requestConfig.
    var source = event.detail.requestConfig ? event.detail.requestConfig.elt : null;
    if ((code === 409 || code === 403) && source && source.closest && source.closest("[data-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function stateBoxes() {
    return sheetForm ? sheetForm.querySelectorAll("textarea[name^='state_']") : [];
  }

  // ---- evidence: insert the code, cite, uncite -------------------------------------------------
  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (sheetForm && el.tagName === "TEXTAREA" && sheetForm.contains(el)) {
      lastBox = el;
    }
  });

  // Citing and unciting are sent from #evidence-panel, a stable element that queues every
  // evidence request of the page (hx-sync): the picker's list may be replaced by a search while
  // a citation is in flight, and the answer (the cited list with its warning) still lands.
  function evidenceRequest(url) {
    var panel = document.getElementById("evidence-panel");
    if (!panel || !window.htmx) {
      return;
    }
    window.htmx.ajax("POST", url, { source: panel });
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest) {
      return;
    }
    var uncite = event.target.closest("[data-uncite-url]");
    if (uncite) {
      evidenceRequest(uncite.getAttribute("data-uncite-url"));
      return;
    }
    var button = event.target.closest("[data-evidence-code]");
    if (!button) {
      return;
    }
    if (button.hasAttribute("data-cite-url")) {
      evidenceRequest(button.getAttribute("data-cite-url"));
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
  if (!form || form.getAttribute("data-autosave") !== "1" || !window.fetch || !status) {
    return;
  }

  var timer = null;
  var inFlight = false;
  var edits = 0; // bumped by every edit
  var savedEdits = 0; // the edit count the server has
  var blocked = false; // conflict or refusal: saving again would not help
  var submitting = false;

  function msg(name) {
    return form.getAttribute("data-msg-" + name) || "";
  }

  function dirty() {
    return edits !== savedEdits;
  }

  function show(text, kind) {
    status.textContent = text;
    status.className = "small mb-2 " + (kind === "error" ? "alert alert-danger py-1 px-2" : kind === "ok" ? "text-success" : "text-muted");
    status.setAttribute("role", kind === "error" ? "alert" : "status");
    status.setAttribute("data-state", kind);
  }

  function schedule() {
    edits += 1;
    if (blocked) {
      return;
    }
    show(msg("pending"), "pending");
    clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  }

  function save() {
    if (blocked || submitting || !dirty()) {
      return;
    }
    if (inFlight) {
      return; // the answer to the save in flight schedules the next one
    }
    inFlight = true;
    var sending = edits;
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
              savedEdits = sending;
              if (dirty()) {
                show(msg("pending"), "pending");
              } else {
                show(data.message || "", "ok");
              }
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
        if (dirty() && !blocked && savedEdits === sending) {
          // Typed while the save was in flight: save that too.
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
    if (dirty() && !submitting) {
      event.preventDefault();
      event.returnValue = msg("leave");
      return msg("leave");
    }
  });
})();
