// Entry of the promote action: the bundle in ../dist (built by `npm run bundle`).
import '../dist/promote.js';
