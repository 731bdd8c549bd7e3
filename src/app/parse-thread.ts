/**
 * The script ingest's parse threads run: ingest's request loop, with detect's matcher made from the detection
 * settings each document brings. Composed here so that ingest and detect know nothing of each other.
 */
import type { DetectionConfig } from '../detect/detector.js';
import { windowsMatcher } from '../detect/matcher.js';
import { serveParseRequests } from '../ingest/parse-worker.js';

serveParseRequests((settings) => windowsMatcher(settings as DetectionConfig));
