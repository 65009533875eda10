// Entry of the predict action: the bundle in ../dist (built by `npm run bundle`).
import '../dist/predict.js';
