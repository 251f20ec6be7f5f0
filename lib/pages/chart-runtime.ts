/**
 * Chart.js with only the parts the dashboard draws (line and bar charts on linear and category
 * axes, tooltips, legend, filled areas). Imported dynamically by ChartCanvas, so Chart.js is a
 * separate chunk loaded after the numbers are on screen.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

export { Chart };
