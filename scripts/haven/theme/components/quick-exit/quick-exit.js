/*
 * Quick exit ("Exit this page"), after the GOV.UK Frontend component
 * (packages/govuk-frontend/src/govuk/components/exit-this-page/exit-this-page.mjs).
 *
 * The exit controls are plain links to a neutral site, so they work without JavaScript.
 * This script makes leaving faster and leaves less behind:
 *  - on click, tap, Enter or Space, the page is hidden at once behind a neutral overlay,
 *    which announces "Loading." (role="alert", text set after insertion, as GOV.UK does),
 *    then replaced in history by the destination (location.replace), so Back from there
 *    does not return here;
 *  - pressing Shift three times in a row, each within TIMEOUT_MS of the last, does the same.
 *    As in GOV.UK a press is counted when Shift is released: a Shift held long enough to
 *    auto-repeat (keydown with event.repeat) is one press; Shift used as a modifier
 *    (Shift+A, or A held while Shift is released) is none; any other key while counting
 *    resets the count. Screen readers hear how many presses remain, and "Exit this page
 *    expired." when the count is reset by the timeout or another key (cleared TIMEOUT_MS
 *    later);
 *  - a page shown again, including from the back/forward cache, has its overlay removed,
 *    its announcements emptied and its count back at zero.
 * Every announcement is a UI string, read from the data- attributes of quick-exit.html.
 * Nothing is stored anywhere.
 */
(function () {
  "use strict";
  var TIMEOUT_MS = 5000; // GOV.UK's timeoutTime
  var PRESSES = 3;

  function root() { return document.querySelector("[data-haven-exit-root]"); }

  function message(name) {
    var r = root();
    return (r && r.getAttribute(name)) || "";
  }

  function say(text) {
    var status = document.querySelector("[data-haven-exit-status]");
    if (status) status.textContent = text;
  }

  function destination() {
    var link = document.querySelector("[data-haven-exit]");
    return link ? link.href : "about:blank";
  }

  var count = 0;
  var shiftAlone = false; // Shift went down (not auto-repeated) and nothing else since
  var keypressTimer = null; // resets the count TIMEOUT_MS after the last press
  var messageTimer = null; // clears the expiry announcement TIMEOUT_MS after it

  function stopTimers() {
    if (keypressTimer) { clearTimeout(keypressTimer); keypressTimer = null; }
    if (messageTimer) { clearTimeout(messageTimer); messageTimer = null; }
  }

  function exiting() { return document.documentElement.classList.contains("haven-exiting"); }

  function showOverlay() {
    if (document.querySelector(".haven-exit-overlay")) return;
    var overlay = document.createElement("div");
    overlay.className = "haven-exit-overlay";
    overlay.setAttribute("role", "alert");
    document.body.appendChild(overlay);
    document.documentElement.classList.add("haven-exiting");
    // Text set after the element is in the page: screen readers announce it more reliably.
    overlay.textContent = message("data-activated");
  }

  function exit(event) {
    if (event) event.preventDefault();
    stopTimers();
    count = 0;
    shiftAlone = false;
    say("");
    showOverlay();
    // Replace this page in history: Back from the destination does not come back here.
    window.location.replace(destination());
  }

  // The count is reset, by the timeout or by another key, and the reader is told so.
  function expire() {
    stopTimers();
    count = 0;
    say(message("data-timed-out"));
    messageTimer = setTimeout(function () { messageTimer = null; say(""); }, TIMEOUT_MS);
  }

  function shiftPressed() {
    count += 1;
    if (messageTimer) { clearTimeout(messageTimer); messageTimer = null; }
    if (count >= PRESSES) {
      exit(null);
      return;
    }
    var left = PRESSES - count;
    say(message(left === 1 ? "data-presses-one" : "data-presses-other")
      .replace("{count}", String(left)));
    if (keypressTimer) clearTimeout(keypressTimer);
    keypressTimer = setTimeout(expire, TIMEOUT_MS);
  }

  document.addEventListener("keydown", function (event) {
    if (exiting()) return;
    if (event.key === "Shift") {
      // Auto-repeat while Shift is held changes nothing: the release counts, once.
      if (!event.repeat) shiftAlone = true;
      return;
    }
    // Any other key, including the A of Shift+A, breaks the sequence.
    shiftAlone = false;
    if (count > 0) expire();
  }, true);

  document.addEventListener("keyup", function (event) {
    if (exiting()) return;
    if (event.key !== "Shift") {
      // Another key released while Shift is down: that Shift is a modifier (GOV.UK's
      // lastKeyWasModified).
      if (event.shiftKey) shiftAlone = false;
      return;
    }
    var alone = shiftAlone;
    shiftAlone = false;
    if (alone) shiftPressed();
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

  // A page restored from the back/forward cache comes back as it was left: overlay up,
  // "Press Shift 1 more time" in the live region, timers pending. Make it usable and quiet.
  window.addEventListener("pageshow", function () {
    var overlay = document.querySelector(".haven-exit-overlay");
    if (overlay) overlay.remove();
    document.documentElement.classList.remove("haven-exiting");
    stopTimers();
    count = 0;
    shiftAlone = false;
    say("");
  });
})();
