// Entry of the train action: the bundle in ../dist (built by `npm run bundle`).
import '../dist/train.js';
