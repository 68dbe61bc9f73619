// Start Swagger UI on the API docs page: the read-only API needs no login, so no credentials.
"use strict";

(function () {
  const script = document.currentScript;
  SwaggerUIBundle({
    url: script.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    ...JSON.parse(script.dataset.settings),
  });
})();
