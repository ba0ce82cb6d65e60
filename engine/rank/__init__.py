"""`cec rank`: decide a population with a ranking program, order it by a consumed score and a tie-break, select a round."""
