package io.wsrpc.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;
import tools.jackson.databind.json.JsonMapper;

/**
 * Draws a throughput curve, as the load generator writes it to
 * {@code bench/results/curve.json}, into one PNG: calls per second and p99 latency
 * against connections, side by side, with connections on a logarithmic axis, one series
 * per target and calls in flight, and the machine the curve was measured on in the title.
 * Runs headless.
 * <p>
 * Usage: {@code CurveChart [curve.json [curve.png]]}, by default in
 * {@code bench/results}.
 */
public final class CurveChart {

	private static final int PANEL_WIDTH = 760;

	private static final int PANEL_HEIGHT = 520;

	private static final int HEADER_HEIGHT = 44;

	private CurveChart() {
	}

	public static void main(String[] args) throws IOException {
		System.setProperty("java.awt.headless", "true");
		Path input = Path.of((args.length > 0) ? args[0] : "bench/results/curve.json");
		Path output = Path.of((args.length > 1) ? args[1] : "bench/results/curve.png");
		Curve curve = JsonMapper.shared().readValue(Files.readString(input), Curve.class);
		if (curve.runs().isEmpty()) {
			throw new IllegalArgumentException(input + " holds no runs");
		}
		ImageIO.write(draw(curve), "png", output.toFile());
		System.out.println("Wrote " + output);
	}

	static BufferedImage draw(Curve curve) {
		Map<SeriesKey, List<Run>> series = curve.runs()
			.stream()
			.collect(Collectors.groupingBy(SeriesKey::of, TreeMap::new, Collectors.toList()));
		boolean severalTargets = series.keySet().stream().map(SeriesKey::target).distinct().count() > 1;
		XYChart throughput = panel("Throughput", "calls per second");
		// latencies span decades from one connection to a thousand; a log axis needs them
		// all above zero
		boolean logLatency = curve.runs().stream().allMatch((run) -> run.latency().p99() > 0);
		XYChart latency = panel("p99 latency", logLatency ? "milliseconds (log scale)" : "milliseconds");
		latency.getStyler().setYAxisLogarithmic(logLatency);
		throughput.getStyler().setYAxisMin(0.0);
		series.forEach((key, runs) -> {
			List<Run> sorted = runs.stream().sorted(Comparator.comparingInt(Run::connections)).toList();
			String name = key.label(severalTargets);
			addSeries(throughput, name, sorted, Run::callsPerSecond);
			addSeries(latency, name, sorted, (run) -> run.latency().p99());
		});
		BufferedImage image = new BufferedImage(2 * PANEL_WIDTH, HEADER_HEIGHT + PANEL_HEIGHT,
				BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		try {
			graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
			graphics.setColor(throughput.getStyler().getChartBackgroundColor());
			graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
			graphics.setColor(Color.BLACK);
			graphics.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
			String title = curve.title();
			FontMetrics metrics = graphics.getFontMetrics();
			graphics.drawString(title, (image.getWidth() - metrics.stringWidth(title)) / 2,
					(HEADER_HEIGHT + metrics.getAscent() - metrics.getDescent()) / 2);
			graphics.drawImage(BitmapEncoder.getBufferedImage(throughput), 0, HEADER_HEIGHT, null);
			graphics.drawImage(BitmapEncoder.getBufferedImage(latency), PANEL_WIDTH, HEADER_HEIGHT, null);
		}
		finally {
			graphics.dispose();
		}
		return image;
	}

	private static XYChart panel(String title, String yAxisTitle) {
		XYChart chart = new XYChartBuilder().width(PANEL_WIDTH)
			.height(PANEL_HEIGHT)
			.title(title)
			.xAxisTitle("connections (log scale)")
			.yAxisTitle(yAxisTitle)
			.build();
		chart.getStyler()
			.setXAxisLogarithmic(true)
			.setXAxisLogarithmicDecadeOnly(true)
			.setXAxisDecimalPattern("#,##0")
			.setYAxisDecimalPattern("#,##0.###")
			.setLegendPosition(LegendPosition.InsideNW)
			.setMarkerSize(8);
		return chart;
	}

	private static void addSeries(XYChart chart, String name, List<Run> runs, ToDoubleFunction<Run> value) {
		double[] connections = runs.stream().mapToDouble(Run::connections).toArray();
		double[] values = runs.stream().mapToDouble(value).toArray();
		chart.addSeries(name, connections, values);
	}

	/**
	 * One curve: the runs of one scenario on one machine.
	 *
	 * @param scenario what was measured
	 * @param machine facts about the machine, such as its cores and Java version
	 * @param runs one run per target, connections and calls in flight
	 */
	record Curve(@Nullable String scenario, @Nullable Map<String, Object> machine, List<Run> runs) {

		Curve {
			runs = (runs != null) ? List.copyOf(runs) : List.of();
		}

		/**
		 * The scenario and the facts that fit on one line: cores, the server's JDK and
		 * the container.
		 */
		String title() {
			String name = (this.scenario != null) ? this.scenario : "curve";
			if (this.machine == null) {
				return name;
			}
			List<String> facts = new ArrayList<>();
			Object cores = this.machine.get("cores");
			if (cores != null) {
				facts.add(cores + " cores");
			}
			Object java = this.machine.get("server_java");
			if (java != null) {
				Matcher version = Pattern.compile("version \"([^\"]+)\"").matcher(java.toString());
				facts.add("JDK " + (version.find() ? version.group(1) : java));
			}
			Object container = this.machine.get("container");
			if (container != null) {
				facts.add(container.toString());
			}
			return facts.isEmpty() ? name : name + " \u2014 " + String.join(", ", facts);
		}

	}

	/**
	 * One load-generator run.
	 *
	 * @param target the server measured
	 * @param connections connections used
	 * @param inFlight calls kept in flight per connection
	 * @param callsPerSecond replies received per second
	 * @param latency round-trip latency percentiles, in milliseconds
	 */
	record Run(@Nullable String target, int connections, @JsonProperty("in_flight") int inFlight,
			@JsonProperty("calls_per_second") double callsPerSecond, @JsonProperty("latency_ms") Latency latency) {

	}

	/**
	 * Latency percentiles, in milliseconds.
	 *
	 * @param p50 the median
	 * @param p90 the 90th percentile
	 * @param p99 the 99th percentile
	 * @param p999 the 99.9th percentile
	 * @param max the slowest call
	 */
	record Latency(double p50, double p90, double p99, @JsonProperty("p99_9") double p999, double max) {

	}

	/**
	 * The runs drawn as one line: one target at one number of calls in flight.
	 */
	private record SeriesKey(String target, int inFlight) implements Comparable<SeriesKey> {

		static SeriesKey of(Run run) {
			return new SeriesKey((run.target() != null) ? run.target() : "", run.inFlight());
		}

		String label(boolean withTarget) {
			String inFlight = this.inFlight + " in flight";
			return (withTarget && !this.target.isEmpty()) ? this.target + ", " + inFlight : inFlight;
		}

		@Override
		public int compareTo(SeriesKey other) {
			return Comparator.comparing(SeriesKey::target).thenComparingInt(SeriesKey::inFlight).compare(this, other);
		}

	}

}
