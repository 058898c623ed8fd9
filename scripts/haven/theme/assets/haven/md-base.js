/* Globals Material's bundle expects (normally an inline script). Storage is never used:
   __md_get always answers "nothing saved" and __md_set saves nothing. */
(function () {
  "use strict";
  var scope = document.currentScript && document.currentScript.src
    ? new URL("../..", document.currentScript.src) : new URL("/", location);
  window.__md_scope = scope;
  window.__md_hash = function (value) {
    return Array.prototype.reduce.call(value, function (hash, ch) {
      return (hash << 5) - hash + ch.charCodeAt(0);
    }, 0);
  };
  window.__md_get = function () { return null; };
  window.__md_set = function () {};
})();
