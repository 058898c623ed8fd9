/*
 * Quick exit ("Exit this page"), after the GOV.UK Design System component.
 *
 * The exit controls are plain links to a neutral site, so they work without JavaScript.
 * This script makes leaving faster and leaves less behind:
 *  - on click, tap, Enter or Space, the page is hidden at once behind a neutral overlay,
 *    then replaced in history by the destination (location.replace), so Back from there
 *    does not return here;
 *  - pressing Shift three times in a row (each within SHIFT_WINDOW_MS of the last) does the
 *    same; Shift held as a modifier (Shift+A) does not count and any other key resets it;
 *    screen readers hear how many presses remain;
 *  - a page restored from the back/forward cache has its overlay removed.
 * Nothing is stored anywhere.
 */
(function () {
  "use strict";
  var SHIFT_WINDOW_MS = 5000;
  var PRESSES = 3;

  function root() { return document.querySelector("[data-haven-exit-root]"); }

  function destination() {
    var link = document.querySelector("[data-haven-exit]");
    return link ? link.href : "about:blank";
  }

  function showOverlay() {
    if (document.querySelector(".haven-exit-overlay")) return;
    var overlay = document.createElement("div");
    overlay.className = "haven-exit-overlay";
    overlay.setAttribute("aria-hidden", "true");
    document.body.appendChild(overlay);
    document.documentElement.classList.add("haven-exiting");
  }

  function exit(event) {
    if (event) event.preventDefault();
    showOverlay();
    // Replace this page in history: Back from the destination does not come back here.
    window.location.replace(destination());
  }

  function announce(remaining) {
    var r = root();
    var status = document.querySelector("[data-haven-exit-status]");
    if (!r || !status) return;
    var template = remaining === 1 ? r.getAttribute("data-presses-one")
      : r.getAttribute("data-presses-other");
    status.textContent = (template || "").replace("{count}", String(remaining));
  }

  var count = 0;
  var lastPress = 0;
  var shiftAlone = false;
  var resetTimer = null;

  function reset() {
    count = 0;
    shiftAlone = false;
    if (resetTimer) { clearTimeout(resetTimer); resetTimer = null; }
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Shift") {
      shiftAlone = !event.repeat;
      return;
    }
    // Any other key, including Shift+A, breaks the sequence.
    if (count > 0) announce(PRESSES);
    reset();
  }, true);

  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift" || !shiftAlone) return;
    shiftAlone = false;
    var now = Date.now();
    count = now - lastPress <= SHIFT_WINDOW_MS ? count + 1 : 1;
    lastPress = now;
    if (count >= PRESSES) {
      reset();
      exit(null);
      return;
    }
    announce(PRESSES - count);
    if (resetTimer) clearTimeout(resetTimer);
    resetTimer = setTimeout(function () { reset(); announce(PRESSES); }, SHIFT_WINDOW_MS);
  }, true);

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("[data-haven-exit]");
    if (link) exit(event);
  });

  // Links activate on Enter natively; a control that looks like a button must also on Space.
  document.addEventListener("keydown", function (event) {
    var link = event.target instanceof Element && event.target.closest("[data-haven-exit]");
    if (link && (event.key === " " || event.key === "Spacebar")) exit(event);
  });

  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    var overlay = document.querySelector(".haven-exit-overlay");
    if (overlay) overlay.remove();
    document.documentElement.classList.remove("haven-exiting");
    reset();
  });
})();
