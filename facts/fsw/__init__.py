"""The Federal Skilled Worker Program (IRPR 75-83) as a program plugin: `plugin.PROGRAM`.

`catalog.py` declares the facts its rules match, `derive.py` computes them from an applicant (hours per
occupation and their continuous runs, age, levels per language, credentials, funds required), and the
rulesets under `rulesets/fsw/` decide the minimum requirements, the 100-point grid and the funds.
"""
