"""Stage 4, present: the report engine, its kinds (the Ministry report, a unit set's overview and unit report), charts,
the HTML, PDF and Word renderers and the explorer's views."""
