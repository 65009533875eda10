// Entry of the evaluate action: the bundle in ../dist (built by `npm run bundle`).
import '../dist/evaluate.js';
