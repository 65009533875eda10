// Entry of the validate action: the bundle in ../dist (built by `npm run bundle`).
import '../dist/validate.js';
