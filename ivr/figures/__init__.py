"""The call log as figures: the CSV export, the statistics behind the charts, and the charts as SVG."""
