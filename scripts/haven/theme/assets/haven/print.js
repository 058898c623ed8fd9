/*
 * Full addresses on paper. The print stylesheet (haven.css) writes each link's href after
 * its text; links between pages of this guide are relative ("../../rights/"), useless on
 * paper, so each gets its absolute address in data-haven-print-href. The print-only header
 * gets the address this page was read at (the build may not know the site's host).
 * Runs at load, not on "beforeprint": print-to-PDF does not always fire that event.
 * Nothing is sent or stored.
 */
(function () {
  "use strict";
  var here = location.href.split("#")[0].split("?")[0];
  var url = document.querySelector("[data-haven-print-url]");
  if (url) url.textContent = here;
  var links = document.querySelectorAll(".md-content a[href]");
  Array.prototype.forEach.call(links, function (link) {
    var href = link.getAttribute("href");
    if (/^(https?:|tel:|sms:|mailto:|#)/i.test(href)) return;  // printed as written
    link.setAttribute("data-haven-print-href", link.href);
  });
})();
