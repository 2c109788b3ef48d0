package io.wsrpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the documentation's relative links true: every link in {@code README.md},
 * {@code docs/} and {@code bench/README.md} names a file that exists and, for a Markdown
 * file, a heading it has, with the anchors GitHub gives headings.
 */
class DocumentationLinksTests {

	private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

	private static final Pattern HEADING = Pattern.compile("^#+ (.*)$");

	@Test
	void everyRelativeLinkNamesAnExistingFileAndHeading() throws IOException {
		List<String> broken = new ArrayList<>();
		for (Path document : documents()) {
			Matcher link = LINK.matcher(String.join("\n", prose(document)));
			while (link.find()) {
				String target = link.group(1);
				if (target.matches("^[a-z]+:.*")) {
					continue;
				}
				int hash = target.indexOf('#');
				String file = (hash >= 0) ? target.substring(0, hash) : target;
				Path linked = file.isEmpty() ? document : document.resolveSibling(file).normalize();
				if (!Files.exists(linked)) {
					broken.add(document + ": " + target + " (no such file)");
				}
				else if (hash >= 0 && linked.toString().endsWith(".md")
						&& !anchors(linked).contains(target.substring(hash + 1))) {
					broken.add(document + ": " + target + " (no such heading)");
				}
			}
		}
		assertThat(broken).isEmpty();
	}

	private static List<Path> documents() throws IOException {
		List<Path> documents = new ArrayList<>(List.of(Path.of("README.md"), Path.of("bench/README.md")));
		try (Stream<Path> docs = Files.list(Path.of("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
		}
		return documents;
	}

	/**
	 * The lines of a Markdown file outside its code blocks.
	 */
	private static List<String> prose(Path document) throws IOException {
		List<String> prose = new ArrayList<>();
		boolean code = false;
		for (String line : Files.readAllLines(document)) {
			if (line.startsWith("```")) {
				code = !code;
			}
			else if (!code) {
				prose.add(line);
			}
		}
		return prose;
	}

	/**
	 * The anchors GitHub gives a file's headings: lower case, punctuation other than
	 * {@code -} and {@code _} dropped, spaces as {@code -}, and {@code -1}, {@code -2} on
	 * repeats.
	 */
	private static Set<String> anchors(Path document) throws IOException {
		Set<String> anchors = new HashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		for (String line : prose(document)) {
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				String anchor = heading.group(1)
					.strip()
					.toLowerCase(Locale.ROOT)
					.replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
					.replace(' ', '-');
				int repeats = seen.merge(anchor, 1, Integer::sum) - 1;
				anchors.add((repeats == 0) ? anchor : anchor + "-" + repeats);
			}
		}
		return anchors;
	}

}
