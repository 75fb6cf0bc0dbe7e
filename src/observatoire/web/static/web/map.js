/* The one MapLibre map of the product (the portal's choropleths, the plans' objectives
   map): a GeoJSON document fetched from the site, drawn as filled polygons with their
   outlines on a plain background. No base map tiles, so the maps work offline; the same
   figures are always in a table or grid of the page.

   The container gets data-state="loading" | "ready" | "error", and a short message in a
   .carte__etat paragraph while loading or on error. Each page script gives what is its
   own: the colouring callback (a MapLibre "fill-color" expression for the document), the
   popup content of a feature, and optionally a step before drawing (legend) and extra
   layers (hatches).

   Needs the vendored MapLibre (vendor/maplibre-gl/maplibre-gl.js) loaded before it, and
   vendor/pmtiles/pmtiles.js for maps drawn on the vector tiles of France. */
(function () {
  "use strict";

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
  var PADDING = 16;
  // MapLibre parses tiles in one worker outside Safari: the France commune map's first
  // render is mostly the parsing of its zoom-4 tiles, which two workers share (2.9 s -> 2.6 s
  // in Chromium on 2 cores, bench.maps). Set before any map exists.
  if (window.maplibregl && window.maplibregl.setWorkerCount) {
    window.maplibregl.setWorkerCount(2);
  }
  var METROPOLE = [-5.2, 41.3, 9.6, 51.1];

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

  function bboxOf(doc) {
    if (doc.bbox && doc.bbox.length === 4) {
      return doc.bbox;
    }
    if (!doc.features) {
      return METROPOLE; // a value payload whose territory has no shipped extent
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

  // The vector tiles of France are PMTiles read with HTTP Range requests (vendor/pmtiles).
  var pmtilesReady = false;
  function tileSource(url) {
    if (!pmtilesReady) {
      window.maplibregl.addProtocol("pmtiles", new window.pmtiles.Protocol().tile);
      pmtilesReady = true;
    }
    // The tiles' `code` is the feature id, so that values join on it by feature state.
    return { type: "vector", url: "pmtiles://" + new URL(url, window.location.href).href, promoteId: "code" };
  }

  function draw(el, doc, options) {
    var box = options.bbox || (doc ? bboxOf(doc) : METROPOLE);
    var bounds = [[box[0], box[1]], [box[2], box[3]]];
    var fit = { padding: PADDING, animate: false };
    var tiled = Boolean(options.tiles);
    var base = tiled ? { "source-layer": options.tiles.layer } : {};
    if (tiled && options.tiles.filter) {
      base.filter = options.tiles.filter;
    }
    function layer(spec) {
      return Object.assign({}, base, spec);
    }
    options.layerOf = layer;
    showState(el, "loading", "");
    var map = new window.maplibregl.Map({
      container: el,
      style: {
        version: 8,
        sources: {},
        layers: [{ id: "fond", type: "background", paint: { "background-color": options.background } }]
      },
      bounds: bounds,
      fitBoundsOptions: { padding: PADDING },
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      cooperativeGestures: true,
      renderWorldCopies: false,
      locale: LOCALE
    });
    map.addControl(new window.maplibregl.NavigationControl({ showCompass: false }), "top-right");
    // The container may change size after the map is created (fonts, layout, print).
    map.on("resize", function () {
      map.fitBounds(bounds, fit);
    });
    map.on("load", function () {
      map.resize();
      map.fitBounds(bounds, fit);
      map.addSource("zones", tiled ? tileSource(options.tiles.url) : { type: "geojson", data: doc });
      map.addLayer(layer({ id: "zones", type: "fill", source: "zones", paint: paintOf(doc, options) }));
      if (options.layers) {
        options.layers(map, "zones", layer);
      }
      // Tens of thousands of commune outlines at the scale of France cost seconds to draw
      // (software WebGL) and read as a grey smear: on the tiles they appear from zoom 6.
      map.addLayer(
        layer({
          id: "limites",
          type: "line",
          source: "zones",
          minzoom: tiled && options.tiles.layer === "communes" ? 6 : 0,
          paint: { "line-color": "#505050", "line-width": tiled ? 0.3 : 0.6 }
        })
      );
      map.on("click", "zones", function (e) {
        new window.maplibregl.Popup({ maxWidth: "18rem" })
          .setLngLat(e.lngLat)
          .setDOMContent(options.popup(e.features[0].properties))
          .addTo(map);
      });
      map.on("mouseenter", "zones", function () {
        map.getCanvas().style.cursor = "pointer";
      });
      map.on("mouseleave", "zones", function () {
        map.getCanvas().style.cursor = "";
      });
      if (!options.pending) {
        map.once("idle", function () {
          showState(el, "ready", "");
        });
      } else if (options.onLayers) {
        options.onLayers(map);
      }
    });
    map.on("error", function (e) {
      showState(el, "error", "Carte incomplète : " + (e.error && e.error.message ? e.error.message : "erreur"));
    });
    el.observatoireMap = map;
    return map;
  }

  /* A map drawn on the tiles before its values arrive (options.pending) is coloured by
     feature state: each feature's colour is set once the values are known, so the tiles
     are fetched and parsed while the values are on their way, and are never parsed again
     (a new data-driven paint expression would make MapLibre parse every tile again). */
  function paintOf(doc, options) {
    if (!options.pending) {
      return { "fill-color": options.fill(doc) };
    }
    return {
      "fill-color": ["to-color", ["coalesce", ["feature-state", "colour"], options.missing || "#b4b4b4"]],
      "fill-opacity": 0
    };
  }

  function colour(el, map, doc, options) {
    var target = { source: "zones", sourceLayer: options.tiles.layer };
    var states = options.states(doc);
    Object.keys(states).forEach(function (code) {
      target.id = code;
      map.setFeatureState(target, states[code]);
    });
    map.setPaintProperty("zones", "fill-opacity", 1);
    if (options.colouredLayers) {
      options.colouredLayers(map, options.layerOf, function () {
        return tileSource(options.tiles.url);
      });
    }
    map.once("idle", function () {
      showState(el, "ready", "");
    });
  }

  /* Fetches options.url and draws it into `el`. options: url, accept (Accept header),
     fill(doc) -> "fill-color" expression, popup(properties) -> DOM node, prepare(doc)
     (optional, before drawing), layers(map, source) (optional, above the fill),
     background (colour), figuresIn ("le tableau", "la grille": where the page repeats
     the figures, said when the map cannot be drawn). With options.tiles = {url, layer,
     filter}, the geometry comes from the vector tiles (PMTiles, cached by the browser) and
     options.url returns values only: fill(doc) then joins them on the feature's `code`,
     and options.bbox (or doc.bbox) frames the map. layers(map, source, layer) gets
     `layer(spec)`, which adds the tiles' source-layer and filter to a layer spec. */
  function load(el, options) {
    var figuresIn = options.figuresIn || "le tableau";
    var opts = Object.assign({ background: "#f6f6f6", accept: "application/geo+json" }, options);
    showState(el, "loading", "Chargement de la carte…");
    if (!window.maplibregl || !window.maplibregl.Map || (opts.tiles && !window.pmtiles)) {
      showState(el, "error", "La carte ne peut pas s'afficher ici ; les valeurs figurent dans " + figuresIn + ".");
      return;
    }
    // Values joined by feature state: the map starts on its tiles at once, and is coloured
    // when both its layers and its values are there.
    var early = null;
    if (opts.tiles && opts.states) {
      opts.pending = true;
      var parts = { map: null, doc: null };
      var both = function () {
        if (parts.map && parts.doc) {
          colour(el, parts.map, parts.doc, opts);
        }
      };
      opts.onLayers = function (map) {
        parts.map = map;
        both();
      };
      try {
        early = draw(el, null, opts);
      } catch (err) {
        showState(el, "error", "La carte ne peut pas s'afficher dans ce navigateur ; les valeurs figurent dans " + figuresIn + ".");
        return;
      }
      showState(el, "loading", "Chargement de la carte…");
      opts.received = function (doc) {
        parts.doc = doc;
        both();
      };
    }
    fetch(opts.url, { headers: { Accept: opts.accept } })
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
          if (opts.prepare) {
            opts.prepare(doc);
          }
          if (early) {
            opts.received(doc);
          } else {
            draw(el, doc, opts);
          }
        } catch (err) {
          // WebGL refused (old browser, disabled GPU): the page still has every figure.
          showState(
            el,
            "error",
            "La carte ne peut pas s'afficher dans ce navigateur ; les valeurs figurent dans " + figuresIn + "."
          );
        }
      })
      .catch(function (err) {
        showState(el, "error", "Carte indisponible : " + err.message);
      });
  }

  window.observatoireMap = { load: load, showState: showState };
})();
