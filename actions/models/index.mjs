// Entry of the models action: the bundle in ../dist (built by `npm run bundle`).
import '../dist/models.js';
