/*
 * Search this guide with Pagefind. Loaded only on the search page, so no other page
 * downloads anything search-related. Pagefind picks the index of the page's language
 * (<html lang>), so readers only get results in their language. The query never goes
 * into the URL or history and is never stored.
 *
 * The form is not in the page until this script puts it there (from an inert <template>):
 * without JavaScript nothing can submit a query. Once in, it still cannot: its field has
 * no name and its method is "dialog" (outside a <dialog>, submitting never navigates);
 * the submit handler below is attached before the form is inserted and runs the search.
 */
(function () {
  "use strict";
  var box = document.querySelector("[data-haven-search]");
  if (!box) return;
  var template = box.querySelector("template[data-haven-search-form]");
  if (!template) return;
  var parts = template.content.cloneNode(true);
  var form = parts.querySelector("form");
  var input = form.querySelector("input");
  var status = box.querySelector("[data-haven-search-status]");
  var results = box.querySelector("[data-haven-search-results]");
  var pagefind = null;

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind.js", new URL(box.getAttribute("data-bundle"),
        location.href)).href).then(function (module) {
        return module.init().then(function () { return module; });
      });
    }
    return pagefind;
  }

  function text(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    node.textContent = content;
    return node;
  }

  function render(items) {
    results.replaceChildren();
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "haven-search__result";
      var link = text("a", "haven-search__link", item.meta && item.meta.title || item.url);
      link.href = item.url;
      li.appendChild(link);
      // Excerpts come back with <mark> tags; parse them inertly and keep the plain text.
      var excerpt = new DOMParser().parseFromString(item.excerpt || "", "text/html");
      li.appendChild(text("p", "haven-search__excerpt", excerpt.body.textContent));
      results.appendChild(li);
    });
  }

  function search(query) {
    if (!query.trim()) { results.replaceChildren(); status.textContent = ""; return; }
    load().then(function (module) { return module.search(query); }).then(function (found) {
      return Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); }))
        .then(function (items) {
          var n = found.results.length;
          var key = n === 0 ? "data-none" : n === 1 ? "data-template-one" : "data-template-other";
          status.textContent = box.getAttribute(key).replace("{count}", String(n));
          render(items);
        });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search(input.value);
  });
  template.replaceWith(parts);
})();
