/*
 * Find support: filter the list of services in place. Progressive enhancement: without
 * JavaScript the form stays hidden and every service is listed, with browse pages by
 * region, kind of help, what happened and provider. Filtering reads only data attributes
 * already on the page: nothing is sent anywhere, nothing is stored, the URL never changes.
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-haven-filter]");
  var list = document.querySelector("[data-haven-filter-list]");
  if (!form || !list) return;
  var status = form.querySelector("[data-haven-filter-status]");
  var none = document.querySelector("[data-haven-filter-none]");
  var cards = Array.prototype.slice.call(list.querySelectorAll(".haven-card"));

  function words(card, name) { return (card.getAttribute("data-" + name) || "").split(" "); }

  // A country includes its parts (United Kingdom: England, Wales); a part includes the
  // services of its whole country.
  function regionMatches(card, region) {
    if (!region) return true;
    var country = region.split("-")[0];
    var isCountry = region === country;
    return words(card, "regions").some(function (area) {
      return area === region || area === country || (isCountry && area.split("-")[0] === region);
    });
  }

  function matches(card, f) {
    return regionMatches(card, f.region)
      && (!f.support || words(card, "support").indexOf(f.support) >= 0)
      && (!f.language || words(card, "languages").indexOf(f.language) >= 0)
      && (!f.alwaysOpen || card.getAttribute("data-always-open") === "yes")
      && (!f.free || card.getAttribute("data-cost") === "free")
      && (!f.anonymous || card.getAttribute("data-anonymous") === "yes");
  }

  function update() {
    var f = {
      region: form.elements.region.value,
      support: form.elements.support.value,
      language: form.elements.language.value,
      alwaysOpen: form.elements["always-open"].checked,
      free: form.elements.cost.checked,
      anonymous: form.elements.anonymous.checked
    };
    var shown = 0;
    cards.forEach(function (card) {
      var ok = matches(card, f);
      card.hidden = !ok;
      if (ok) shown += 1;
    });
    var template = status.getAttribute(shown === 1 ? "data-template-one" : "data-template-other");
    status.textContent = template.replace("{count}", String(shown));
    none.hidden = shown !== 0;
  }

  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  form.hidden = false;
  update();
})();
