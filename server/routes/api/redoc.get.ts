/**
 * ReDoc, the API reference as one readable page, next to Swagger UI (/api/docs). Its standalone bundle
 * is copied from the `redoc` package at build time and served by the app: nothing comes from a CDN.
 */
export default defineEventHandler((event) => {
  setResponseHeader(event, 'content-type', 'text/html; charset=utf-8')
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Poke-ventory API</title>
    <style>body { margin: 0; }</style>
  </head>
  <body>
    <redoc spec-url="/api/_openapi.json"></redoc>
    <script src="/api/redoc/assets/redoc.standalone.js"></script>
  </body>
</html>`
})
