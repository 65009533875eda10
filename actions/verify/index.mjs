// Entry of the verify action: the bundle in ../dist (built by `npm run bundle`).
import '../dist/verify.js';
