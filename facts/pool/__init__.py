"""The Express Entry pool as a program: entry (a program met, a valid language result) and categories."""
