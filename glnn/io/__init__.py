"""Files in and out: a picture's recipe (recipe, request, command), saved networks, metadata chunks, the picture
and animation writers, plots and the static HTML writer. Reads the model; knows no GL."""
