/* Choropleth maps of the portal, drawn by the shared map (web/map.js) from the open API
   (/api/v1/map): one GeoJSON feature per territory with its value, status and class
   index, and the class breaks at the top level. The same values are always in the table
   next to the map.

   Communes, départements and régions are drawn on the vector tiles of France
   (data-tiles, data-layer) with the values of /api/v1/map/values (data-values), joined on
   the territory code: the geometry is fetched once and cached, a map costs its values only.

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

  var SCOPE_PROPERTY = { DEP: "dep", REG: "reg", EPCI: "epci" };

  // A payload of /api/v1/map/values (parallel lists) as {code: {value, status, class}}.
  function byCode(doc) {
    var out = {};
    doc.codes.forEach(function (code, i) {
      out[code] = { value: doc.values[i], status: doc.statuses[i], "class": doc["class"][i] };
    });
    return out;
  }

  // The tiles hold every territory of France: a map of one territory shows its own.
  function scopeFilter(within) {
    var parts = within.split(":");
    var key = SCOPE_PROPERTY[parts[0]];
    return key ? ["==", ["get", key], parts[1]] : null;
  }

  // The feature state of each territory of a values payload: its class colour (the
  // secret ones are hatched by their own layer, colouredLayers). A code absent from the
  // payload keeps the default "non disponible" colour of the fill layer.
  function tiledStates(doc, palette) {
    var out = {};
    doc.codes.forEach(function (code, i) {
      var c = doc["class"][i];
      var has = c !== null && c !== undefined && palette[c];
      out[code] = { colour: has ? palette[c] : NOT_AVAILABLE };
    });
    return out;
  }

  // The scope of a values URL (?within=DEP:62), known before its values arrive.
  function withinOf(url) {
    return new URL(url, window.location.href).searchParams.get("within") || "FR";
  }

  function load(el) {
    var fmt = numberFormat(parseInt(el.getAttribute("data-decimals"), 10));
    var unit = el.getAttribute("data-unit") || "";
    var tilesUrl = el.getAttribute("data-tiles");
    var palette = [];
    var values = {};
    var tiled = Boolean(tilesUrl);
    var options = {
      url: el.getAttribute(tiled ? "data-values" : "data-choropleth"),
      accept: "application/geo+json, application/json",
      background: cssVar("--background-alt-grey", "#f6f6f6"),
      figuresIn: "le tableau",
      prepare: function (doc) {
        var breaks = doc.breaks || [];
        palette = PALETTES[Math.max(breaks.length - 1, 0)] || [];
        var counts = [];
        function count(c) {
          if (c !== null && c !== undefined) {
            counts[c] = (counts[c] || 0) + 1;
          }
        }
        if (tiled) {
          doc["class"].forEach(count);
          values = byCode(doc);
        } else {
          doc.features.forEach(function (f) {
            count(f.properties["class"]);
          });
        }
        fillLegend(
          document.getElementById(el.getAttribute("data-legend")),
          palette,
          classLabels(breaks, fmt),
          counts,
          el.getAttribute("data-noun") || "territoires"
        );
      },
      fill: function () {
        return fillExpression(palette);
      },
      layers: function (map, source, layer) {
        map.addImage("hachures", hatchImage());
        if (tiled) {
          return; // the hatches come with the values (colouredLayers)
        }
        map.addLayer(
          layer({
            id: "zones-secret",
            type: "fill",
            source: source,
            filter: ["==", ["get", "status"], "secret"],
            paint: { "fill-pattern": "hachures" }
          })
        );
      },
      // On the tiles, the secret territories are known with the values: their hatches are
      // a layer of their own source, filtered on their codes, so that adding it parses
      // the tiles for those territories only (a pattern layer over the ~35,000 communes of
      // France costs half a second of drawing; a layer added to the "zones" source would
      // parse every tile again).
      colouredLayers: function (map, layer, tileSource) {
        var secret = Object.keys(values).filter(function (code) {
          return values[code].status === "secret";
        });
        if (!secret.length) {
          return;
        }
        map.addSource("zones-secretes", tileSource());
        var spec = layer({ id: "zones-secret", type: "fill", source: "zones-secretes", paint: { "fill-pattern": "hachures" } });
        var only = ["in", ["get", "code"], ["literal", secret]];
        spec.filter = spec.filter ? ["all", spec.filter, only] : only;
        map.addLayer(spec, "limites");
      },
      popup: function (p) {
        if (!tiled) {
          return popupContent(p, fmt, unit);
        }
        var v = values[p.code] || { value: null, status: "missing" };
        return popupContent({ name: p.nom, code: p.code, value: v.value, status: v.status }, fmt, unit);
      }
    };
    if (tiled) {
      options.tiles = {
        url: tilesUrl,
        layer: el.getAttribute("data-layer"),
        filter: scopeFilter(withinOf(options.url))
      };
      options.missing = NOT_AVAILABLE;
      options.states = function (doc) {
        return tiledStates(doc, palette);
      };
      var box = (el.getAttribute("data-bbox") || "").split(",").map(Number);
      if (box.length === 4 && box.every(isFinite)) {
        options.bbox = box;
      }
    }
    window.observatoireMap.load(el, options);
  }

  document.querySelectorAll("[data-choropleth]").forEach(load);
})();
