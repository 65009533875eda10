// Entry of the monitor action: the bundle in ../dist (built by `npm run bundle`).
import '../dist/monitor.js';
