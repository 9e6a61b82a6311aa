#!/usr/bin/env python3
"""Copies the README's Java samples from the compiled sources (// README:start NAME ... // README:end regions in
examples/src/main/java/dev/postpurchase/examples/readme) into README.md, in order of the README's ```java blocks,
each block tagged by the region name in an HTML comment just above it: <!-- sample: NAME -->."""
import glob, re, textwrap, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
regions = {}
for f in glob.glob(str(root / 'examples/src/main/java/dev/postpurchase/examples/readme/*.java')):
    for m in re.finditer(r'// README:start ([\w-]+)\n(.*?)\n\s*// README:end', open(f).read(), re.S):
        regions[m.group(1)] = textwrap.dedent(m.group(2)).rstrip()
readme = (root / 'README.md').read_text()
readme = re.sub(r'(<!-- sample: ([\w-]+) -->\n```java\n)(.*?)(```)',
                lambda m: m.group(1) + regions[m.group(2)] + '\n' + m.group(4), readme, flags=re.S)
(root / 'README.md').write_text(readme)
