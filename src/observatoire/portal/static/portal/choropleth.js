/* Choropleth maps of the portal, drawn by MapLibre from the open API (/api/v1/map): one
   GeoJSON feature per territory with its value, status and class index, and the class
   breaks at the top level. No base map tiles: polygons on a plain background, so the map
   works offline. The same values are always in the table next to the map.

   Markup: <div data-choropleth="API URL" data-decimals="1" data-legend="legende">; the
   legend element holds a list whose fixed items (secret, non disponible) stay last.
   The container gets data-state="loading" | "ready" | "error". Credits (contours, source)
   are written in the page under the map, not in a map control. */
(function () {
  "use strict";

  // ColorBrewer "Blues", sequential, by number of classes.
  var PALETTES = {
    1: ["#6baed6"],
    2: ["#9ecae1", "#2171b5"],
    3: ["#deebf7", "#9ecae1", "#3182bd"],
    4: ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"],
    5: ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
    6: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"],
    7: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
    8: ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
    9: ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]
  };
  var NOT_AVAILABLE = "#b4b4b4"; // same as .legende__case--nd
  var HATCH_INK = [58, 58, 58]; // same as .legende__case--secret
  var STATUS = {
    ok: "",
    estimated: "estimé",
    secret: "secret statistique",
    missing: "non disponible",
    unavailable: "non disponible"
  };
  var LOCALE = {
    "Map.Title": "Carte",
    "NavigationControl.ZoomIn": "Zoom avant",
    "NavigationControl.ZoomOut": "Zoom arrière",
    "NavigationControl.ResetBearing": "Réorienter la carte vers le nord",
    "Popup.Close": "Fermer",
    "AttributionControl.ToggleAttribution": "Afficher ou masquer les crédits",
    "CooperativeGesturesHandler.WindowsHelpText": "Ctrl + molette pour zoomer",
    "CooperativeGesturesHandler.MacHelpText": "⌘ + molette pour zoomer",
    "CooperativeGesturesHandler.MobileHelpText": "Deux doigts pour déplacer la carte"
  };

  function numberFormat(decimals) {
    var d = isNaN(decimals) ? 0 : decimals;
    return new Intl.NumberFormat("fr-FR", {
      minimumFractionDigits: d,
      maximumFractionDigits: d
    });
  }

  function cssVar(name, fallback) {
    var v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  }

  // Diagonal hatches, opaque, so a secret territory never looks like a class colour.
  function hatchImage() {
    var size = 8;
    var data = new Uint8Array(size * size * 4);
    for (var y = 0; y < size; y++) {
      for (var x = 0; x < size; x++) {
        var ink = (x + y) % size < 2;
        var i = (y * size + x) * 4;
        data[i] = ink ? HATCH_INK[0] : 255;
        data[i + 1] = ink ? HATCH_INK[1] : 255;
        data[i + 2] = ink ? HATCH_INK[2] : 255;
        data[i + 3] = 255;
      }
    }
    return { width: size, height: size, data: data };
  }

  // breaks = [minimum, upper bound of class 0, ..., maximum] (see portal/classes.py).
  function classLabels(breaks, fmt) {
    var labels = [];
    for (var i = 0; i + 1 < breaks.length; i++) {
      var lo = breaks[i];
      var hi = breaks[i + 1];
      if (i === 0) {
        labels.push(lo === hi ? fmt.format(hi) : "de " + fmt.format(lo) + " à " + fmt.format(hi));
      } else {
        labels.push("plus de " + fmt.format(lo) + " à " + fmt.format(hi));
      }
    }
    return labels;
  }

  function fillLegend(legend, palette, labels, counts, noun) {
    if (!legend) {
      return;
    }
    var list = legend.querySelector("ul");
    var fixed = list.querySelector("[data-fixed]");
    list.querySelectorAll("[data-class]").forEach(function (li) {
      li.remove();
    });
    labels.forEach(function (label, i) {
      var li = document.createElement("li");
      li.setAttribute("data-class", String(i));
      var swatch = document.createElement("span");
      swatch.className = "legende__case";
      swatch.setAttribute("aria-hidden", "true");
      swatch.style.background = palette[i];
      li.appendChild(swatch);
      var n = counts[i] || 0;
      // The nouns (communes, intercommunalités, départements, régions) take a plain -s.
      var word = n > 1 ? noun : noun.replace(/s$/, "");
      li.appendChild(document.createTextNode(label + " (" + n + " " + word + ")"));
      list.insertBefore(li, fixed);
    });
  }

  function fillExpression(palette) {
    if (!palette.length) {
      return NOT_AVAILABLE;
    }
    var expr = ["match", ["coalesce", ["get", "class"], -1]];
    palette.forEach(function (colour, i) {
      expr.push(i, colour);
    });
    expr.push(NOT_AVAILABLE);
    return expr;
  }

  function bboxOf(doc) {
    if (doc.bbox && doc.bbox.length === 4) {
      return doc.bbox;
    }
    var b = [180, 90, -180, -90];
    function walk(c) {
      if (typeof c[0] === "number") {
        b = [Math.min(b[0], c[0]), Math.min(b[1], c[1]), Math.max(b[2], c[0]), Math.max(b[3], c[1])];
      } else {
        c.forEach(walk);
      }
    }
    doc.features.forEach(function (f) {
      if (f.geometry) {
        walk(f.geometry.coordinates);
      }
    });
    return b;
  }

  function popupContent(p, fmt, unit) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = p.name + " (" + p.code + ")";
    box.appendChild(title);
    var line = document.createElement("div");
    var hasValue = p.value !== null && p.value !== undefined;
    var text = hasValue ? fmt.format(p.value) + (unit ? " " + unit : "") : "";
    var status = STATUS[p.status] !== undefined ? STATUS[p.status] : p.status;
    line.textContent = [text, status].filter(Boolean).join(" — ") || "non disponible";
    box.appendChild(line);
    return box;
  }

  function showState(el, state, message) {
    el.setAttribute("data-state", state);
    var note = el.querySelector(".carte__etat");
    if (message) {
      if (!note) {
        note = document.createElement("p");
        note.className = "carte__etat fr-text--sm";
        el.appendChild(note);
      }
      note.textContent = message;
    } else if (note) {
      note.remove();
    }
  }

  function draw(el, doc) {
    var decimals = parseInt(el.getAttribute("data-decimals"), 10);
    var fmt = numberFormat(decimals);
    var unit = el.getAttribute("data-unit") || "";
    var breaks = doc.breaks || [];
    var n = Math.max(breaks.length - 1, 0);
    var palette = PALETTES[n] || [];
    var counts = [];
    doc.features.forEach(function (f) {
      var c = f.properties["class"];
      if (c !== null && c !== undefined) {
        counts[c] = (counts[c] || 0) + 1;
      }
    });
    fillLegend(
      document.getElementById(el.getAttribute("data-legend")),
      palette,
      classLabels(breaks, fmt),
      counts,
      el.getAttribute("data-noun") || "territoires"
    );
    var box = bboxOf(doc);
    var bounds = [[box[0], box[1]], [box[2], box[3]]];
    showState(el, "loading", "");
    var map = new window.maplibregl.Map({
      container: el,
      style: {
        version: 8,
        sources: {},
        layers: [
          {
            id: "fond",
            type: "background",
            paint: { "background-color": cssVar("--background-alt-grey", "#f6f6f6") }
          }
        ]
      },
      bounds: bounds,
      fitBoundsOptions: { padding: 16 },
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      cooperativeGestures: true,
      renderWorldCopies: false,
      locale: LOCALE
    });
    map.addControl(new window.maplibregl.NavigationControl({ showCompass: false }), "top-right");
    // The container may have changed size since the map was created (fonts, layout).
    map.on("resize", function () {
      map.fitBounds(bounds, { padding: 16, animate: false });
    });
    map.on("load", function () {
      map.resize();
      map.fitBounds(bounds, { padding: 16, animate: false });
      map.addImage("hachures", hatchImage());
      map.addSource("zones", { type: "geojson", data: doc });
      map.addLayer({
        id: "zones",
        type: "fill",
        source: "zones",
        paint: { "fill-color": fillExpression(palette) }
      });
      map.addLayer({
        id: "zones-secret",
        type: "fill",
        source: "zones",
        filter: ["==", ["get", "status"], "secret"],
        paint: { "fill-pattern": "hachures" }
      });
      map.addLayer({
        id: "limites",
        type: "line",
        source: "zones",
        paint: { "line-color": "#505050", "line-width": 0.6 }
      });
      map.on("click", "zones", function (e) {
        var p = e.features[0].properties;
        new window.maplibregl.Popup({ maxWidth: "18rem" })
          .setLngLat(e.lngLat)
          .setDOMContent(popupContent(p, fmt, unit))
          .addTo(map);
      });
      map.on("mouseenter", "zones", function () {
        map.getCanvas().style.cursor = "pointer";
      });
      map.on("mouseleave", "zones", function () {
        map.getCanvas().style.cursor = "";
      });
      map.once("idle", function () {
        showState(el, "ready", "");
      });
    });
    map.on("error", function (e) {
      showState(el, "error", "Carte incomplète : " + (e.error && e.error.message ? e.error.message : "erreur"));
    });
  }

  function load(el) {
    var url = el.getAttribute("data-choropleth");
    showState(el, "loading", "Chargement de la carte…");
    if (!window.maplibregl || !window.maplibregl.Map) {
      showState(el, "error", "La carte ne peut pas s'afficher ici ; les valeurs figurent dans le tableau.");
      return;
    }
    fetch(url, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            throw new Error(body && body.erreur ? body.erreur : "erreur " + response.status);
          }
          return body;
        });
      })
      .then(function (doc) {
        try {
          draw(el, doc);
        } catch (err) {
          // WebGL refused (old browser, disabled GPU): the table still has every value.
          showState(el, "error", "La carte ne peut pas s'afficher dans ce navigateur ; les valeurs figurent dans le tableau.");
        }
      })
      .catch(function (err) {
        showState(el, "error", "Carte indisponible : " + err.message);
      });
  }

  document.querySelectorAll("[data-choropleth]").forEach(load);
})();
