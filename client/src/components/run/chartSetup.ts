/**
 * Chart.js with what the dashboard's charts use, registered once: line charts on linear, log or category (adapter
 * versions) axes, tooltips, legend, zoom.
 */
import { CategoryScale, Chart, Legend, LinearScale, LineElement, LogarithmicScale, PointElement, Tooltip } from "chart.js";
import zoomPlugin from "chartjs-plugin-zoom";

Chart.register(CategoryScale, LinearScale, LogarithmicScale, PointElement, LineElement, Tooltip, Legend, zoomPlugin);
