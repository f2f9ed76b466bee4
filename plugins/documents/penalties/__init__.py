"""行政处罚 cases (立案 → 告知 → 决定 → 履行), kept minimal but real: the record a 行政处罚决定书 is made from."""
