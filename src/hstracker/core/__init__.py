"""The pure domain: model, dates, facts and every rule, with no UI, network or store code."""
