/*
 * The menu button on narrow screens. Material's navigation drawer is a hidden checkbox
 * (#__drawer) toggled by clicking a <label>, which a keyboard cannot reach or operate (and a
 * <label> may not take role="button"). This swaps the header's label for a real <button>
 * named by the label's own (visually hidden) text, that says whether the drawer is open
 * (aria-expanded), moves focus into it when it opens, and closes it on Escape with focus
 * back on the button. haven.css keeps the closed drawer's links out of the tab order.
 * Without JavaScript the label stays and works with a pointer. On wide screens the drawer
 * and both controls are hidden: the menu is a row of links under the header.
 */
(function () {
  "use strict";
  var toggle = document.getElementById("__drawer");
  var label = document.querySelector(".haven-header label[for='__drawer']");
  var drawer = document.querySelector(".md-sidebar--primary");
  if (!toggle || !label || !drawer) return;
  drawer.id = drawer.id || "haven-drawer";

  var button = document.createElement("button");
  button.type = "button";
  button.className = label.className + " haven-menu-button";
  // The label's children move over: the icon and the visually hidden text that names it.
  button.title = label.title;
  button.setAttribute("aria-controls", drawer.id);
  while (label.firstChild) button.appendChild(label.firstChild);
  label.replaceWith(button);

  function sync() { button.setAttribute("aria-expanded", String(toggle.checked)); }

  function setOpen(open, moveFocus) {
    toggle.checked = open;
    sync();
    if (open && moveFocus) {
      var first = drawer.querySelector("a[href]");
      if (first) first.focus();
    }
  }

  // detail is 0 for Enter and Space: move focus into the drawer only for the keyboard.
  button.addEventListener("click", function (event) {
    setOpen(!toggle.checked, event.detail === 0);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !toggle.checked) return;
    setOpen(false, false);
    button.focus();
  });
  // The overlay (a label) closes it by pointer; Material closes it on navigation without an
  // event, so the state is read again then.
  toggle.addEventListener("change", sync);
  window.addEventListener("hashchange", function () { setTimeout(sync, 200); });
  sync();
})();
