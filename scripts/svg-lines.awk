# A line chart as SVG from whitespace-separated rows "series x y" (x values are placed evenly in
# the order they first appear, e.g. concurrency levels 1 16 64 256), one line per series.
#   awk -v title="..." -v ylabel="..." -f scripts/svg-lines.awk data > chart.svg
# No plotting package needed: the benchmark draws its own charts.
{
  if (!($1 in seen)) { seen[$1] = 1; series[++ns] = $1 }
  if (!($2 in xi)) { xi[$2] = ++nx; xs[nx] = $2 }
  y[$1, $2] = $3
  if ($3 > ymax) ymax = $3
}
END {
  w = 640; h = 400; left = 80; right = 150; top = 40; bottom = 50
  pw = w - left - right; ph = h - top - bottom
  if (ymax <= 0) ymax = 1
  # a round top: 1, 2 or 5 times a power of ten
  p = 1; while (p * 10 <= ymax) p *= 10
  if (ymax <= p) top_y = p; else if (ymax <= 2 * p) top_y = 2 * p; else if (ymax <= 5 * p) top_y = 5 * p; else top_y = 10 * p
  split("#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e", colors, " ")
  printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", w, h
  printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
  printf "<text x=\"%d\" y=\"22\" font-size=\"15\" text-anchor=\"middle\">%s</text>\n", left + pw / 2, title
  for (i = 0; i <= 5; i++) {
    yy = top + ph - ph * i / 5
    printf "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", left, yy, left + pw, yy
    printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n", left - 6, yy + 4, top_y * i / 5
  }
  printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", left, top + ph, left + pw, top + ph
  printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", left, top, left, top + ph
  for (i = 1; i <= nx; i++) {
    xx = left + (nx == 1 ? pw / 2 : pw * (i - 1) / (nx - 1))
    printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", xx, top + ph + 18, xs[i]
  }
  printf "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", left + pw / 2, h - 10, xlabel
  printf "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 18 %d)\">%s</text>\n", top + ph / 2, top + ph / 2, ylabel
  for (s = 1; s <= ns; s++) {
    c = colors[(s - 1) % 5 + 1]; points = ""
    for (i = 1; i <= nx; i++) {
      if (!((series[s], xs[i]) in y)) continue
      xx = left + (nx == 1 ? pw / 2 : pw * (i - 1) / (nx - 1)); yy = top + ph - ph * y[series[s], xs[i]] / top_y
      points = points sprintf("%.1f,%.1f ", xx, yy)
      printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", xx, yy, c
    }
    printf "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n", points, c
    printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>\n", left + pw + 15, top + 10 + 20 * s, left + pw + 35, top + 10 + 20 * s, c
    printf "<text x=\"%d\" y=\"%d\">%s</text>\n", left + pw + 40, top + 14 + 20 * s, series[s]
  }
  print "</svg>"
}
