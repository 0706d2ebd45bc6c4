"""Drawing: theme (colours, fonts, sizes), primitives, heatmap colouring, thumbnails."""
