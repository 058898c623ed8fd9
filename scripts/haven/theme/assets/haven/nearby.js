/*
 * "Enter your ZIP code or postcode": the services for the reader's place, found on the
 * device. Loaded on Find support and the place pages only.
 *
 * Private by construction:
 * - the form is not in the page until this script puts it there (from an inert
 *   <template>), so without JavaScript nothing can be typed or sent: the browse pages
 *   stay the way in;
 * - the field has no name and the form's method is "dialog": submitting never navigates,
 *   so the code can never reach a URL, the history or a server's log;
 * - the table of places (nearby/places.json, made by site/nearby.py) is fetched whole,
 *   once, only when the reader first submits a code: the same request for every code;
 * - nothing is stored (no storage, no cookies) and no location API is used.
 */
(function () {
  "use strict";
  var box = document.querySelector("[data-haven-nearby]");
  if (!box) return;
  var template = box.querySelector("template[data-haven-nearby-form]");
  if (!template || !window.fetch) return;
  var parts = template.content.cloneNode(true);
  var form = parts.querySelector("form");
  var input = form.querySelector("input");
  var status = box.querySelector("[data-haven-nearby-status]");
  var results = box.querySelector("[data-haven-nearby-results]");
  var lang = box.getAttribute("data-lang");
  var table = null;

  function s(key) { return box.getAttribute("data-s-" + key) || ""; }

  // The table, fetched once and kept in memory only. Each place's keys ("900", "90012",
  // "CF10", "CF10 1") are one comma-separated string, searched as it is: no index to build.
  function load() {
    if (!table) {
      table = fetch(box.getAttribute("data-table"), { credentials: "omit", cache: "default" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          data.places.forEach(function (place) { place[5] = "," + place[5] + ","; });
          return data;
        })
        .catch(function (error) { table = null; throw error; });
    }
    return table;
  }

  function owners(data, test) {
    var found = [];
    data.places.forEach(function (place, i) { if (test(place[5])) found.push(i); });
    return found;
  }

  // A US ZIP code (ZIP+4 allowed) or a UK postcode, whole or its first half: the keys to
  // try, finest first. null when it is neither.
  function parse(raw) {
    var code = raw.toUpperCase().replace(/\s+/g, "");
    var zip = /^(\d{5})(?:-?\d{4})?$/.exec(code);
    if (zip) return { keys: [zip[1], zip[1].slice(0, 3)] };
    var uk = /^([A-Z]{1,2})(\d[A-Z\d]?)(\d[A-Z]{2})?$/.exec(code);
    if (!uk) return null;
    var district = uk[1] + uk[2];
    var keys = uk[3] ? [district + " " + uk[3].charAt(0), district, uk[1]] : [district, uk[1]];
    return { keys: keys, sectors: district + " " };
  }

  function placesFor(data, code) {
    for (var i = 0; i < code.keys.length; i += 1) {
      var key = "," + code.keys[i] + ",";
      var found = owners(data, function (keys) { return keys.indexOf(key) >= 0; });
      if (found.length) return found;
    }
    // A district split between authorities is listed by its sectors: all of them.
    if (!code.sectors || code.keys.length !== 2) return [];
    var sector = "," + code.sectors;
    return owners(data, function (keys) { return keys.indexOf(sector) >= 0; });
  }

  function distance(a, b) {
    var rad = Math.PI / 180;
    var dLat = (b[0] - a[0]) * rad, dLon = (b[1] - a[1]) * rad;
    var h = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 6371 * 2 * Math.asin(Math.sqrt(h));
  }

  // Where a service stands for a place: "local" (its county or authority, or within its
  // radius), "region" (the whole state or nation), "country", or null when it does not
  // serve it. A service with local areas or a point serves only those.
  function reach(service, place) {
    var region = place[0], country = region.split("-")[0];
    if (service.local || service.point) {
      var inArea = service.local && place[1] && service.local.indexOf(place[1]) >= 0;
      var near = service.point && distance([place[3], place[4]], service.point) <= service.point[2];
      return inArea || near ? "local" : null;
    }
    if (service.areas.indexOf(region) >= 0) return "region";
    if (service.areas.indexOf(country) >= 0) return "country";
    return null;
  }

  function regionName(data, code) {
    return (data.regions[code] || {})[lang] || code;
  }

  // "Los Angeles County, California", the county's name marked as English (the data
  // packages name places in English only) and isolated, for right-to-left pages.
  function placeLabel(data, place, node) {
    var region = regionName(data, place[0]);
    if (!place[2]) { node.appendChild(document.createTextNode(region)); return; }
    s("place").split(/(\{area\}|\{region\})/).forEach(function (part) {
      if (part === "{area}") {
        var area = document.createElement("bdi");
        area.lang = "en";
        area.textContent = place[2];
        node.appendChild(area);
      } else {
        node.appendChild(document.createTextNode(part === "{region}" ? region : part));
      }
    });
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, key) {
      return key in values ? values[key] : m;
    });
  }

  function sentence(template, key, node) {
    // Put `node` where {key} is in the template; the rest is text.
    var out = document.createDocumentFragment();
    template.split("{" + key + "}").forEach(function (part, i) {
      if (i > 0) out.appendChild(node.cloneNode(true));
      out.appendChild(document.createTextNode(part));
    });
    return out;
  }

  function item(data, service, here) {
    var li = document.createElement("li");
    li.className = "haven-nearby__service";
    var link = document.createElement("a");
    link.href = box.getAttribute("data-services") + encodeURIComponent(service.id) + "/";
    link.textContent = service.name[lang] || service.name.en;
    if (!service.name[lang]) link.lang = "en";
    li.appendChild(link);
    if (service.point) {
      var km = distance(here.at, service.point);
      var miles = here.miles;
      var far = document.createElement("span");
      far.className = "haven-nearby__distance";
      far.textContent = " " + fill(s(miles ? "mi" : "km"),
        { distance: String(Math.max(1, Math.round(miles ? km / 1.609 : km))) });
      li.appendChild(far);
    }
    if (service.tel) {
      var call = document.createElement("a");
      call.className = "md-button haven-nearby__call";
      call.href = "tel:" + service.tel;
      var number = document.createElement("bdi");
      number.className = "haven-number";
      number.dir = "ltr";
      number.textContent = service.label;
      call.appendChild(sentence(s("call"), "number", number));
      li.appendChild(call);
    }
    return li;
  }

  function show(data, found) {
    var places = found.map(function (i) { return data.places[i]; });
    var groups = { local: [], region: [], country: [] };
    data.services.forEach(function (service) {
      var best = null;
      places.forEach(function (place) {
        var r = reach(service, place);
        if (r && (!best || ["local", "region", "country"].indexOf(r) <
                           ["local", "region", "country"].indexOf(best))) best = r;
      });
      if (best) groups[best].push(service);
    });
    var first = places[0];
    // Where distances are measured from: the centre of the reader's county or district;
    // in miles in the United States, in kilometres elsewhere.
    var here = { at: [first[3], first[4]], miles: first[0].split("-")[0] === "US" };
    // Services with a point: nearest first; the order of the table (most urgent first)
    // otherwise.
    groups.local.sort(function (a, b) {
      if (!a.point || !b.point) return (a.point ? 0 : 1) - (b.point ? 0 : 1);
      return distance(here.at, a.point) - distance(here.at, b.point);
    });

    var label = document.createElement("span");
    places.forEach(function (place, i) {
      if (i > 0) label.appendChild(document.createTextNode(" / "));
      placeLabel(data, place, label);
    });
    var count = groups.local.length + groups.region.length + groups.country.length;
    status.replaceChildren(sentence(fill(s(count === 1 ? "found-one" : "found-other"),
      { count: String(count) }), "place", label));
    if (places.length > 1) {
      var split = document.createElement("p");
      split.appendChild(sentence(s("split"), "places", label));
      results.appendChild(split);
    }
    var titles = {
      local: function () {
        var where = document.createElement("span");
        places.forEach(function (place, i) {
          if (i > 0) where.appendChild(document.createTextNode(" / "));
          if (place[2]) {
            var area = document.createElement("bdi");
            area.lang = "en";
            area.textContent = place[2];
            where.appendChild(area);
          } else {
            where.appendChild(document.createTextNode(regionName(data, place[0])));
          }
        });
        return sentence(s("local"), "place", where);
      },
      region: function () {
        return document.createTextNode(fill(s("local"), { place: regionName(data, first[0]) }));
      },
      country: function () {
        return document.createTextNode(fill(s("across"),
          { place: regionName(data, first[0].split("-")[0]) }));
      }
    };
    ["local", "region", "country"].forEach(function (key) {
      if (!groups[key].length) return;
      var heading = document.createElement("h3");
      heading.appendChild(titles[key]());
      var list = document.createElement("ul");
      list.className = "haven-nearby__list";
      groups[key].forEach(function (service) { list.appendChild(item(data, service, here)); });
      results.appendChild(heading);
      results.appendChild(list);
    });
  }

  function lookup(raw) {
    results.replaceChildren();
    var code = parse(raw);
    if (!code) { status.textContent = s("malformed"); return; }
    status.textContent = s("loading");
    load().then(function (data) {
      var found = placesFor(data, code);
      if (!found.length) { status.textContent = s("unknown"); return; }
      show(data, found);
    }, function () { status.textContent = s("failed"); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    lookup(input.value);
  });
  template.replaceWith(parts);
})();
