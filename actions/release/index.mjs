// Entry of the release action: the bundle in ../dist (built by `npm run bundle`).
import '../dist/release.js';
