"""The sample applicants, installed with the package (cec_rules.examples) so that the bundled test cases
that read them (`applicant_file: ../../../../examples/...`) run from an installed copy too."""
