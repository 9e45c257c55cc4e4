/**
 * ReDoc, the API reference as one readable page, next to Swagger UI (/api/docs). Its standalone bundle
 * is copied from the `redoc` package at build time and served by the app: nothing comes from a CDN.
 */
export default defineEventHandler(event => apiDocsPage(event, {
  head: '<style>body { margin: 0; }</style>',
  body: `<redoc spec-url="/api/_openapi.json"></redoc>
    <script src="/api/redoc/assets/redoc.standalone.js"></script>`,
}))
