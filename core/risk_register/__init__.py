"""风险清单 (risk register): an enterprise's risk points, their assessments, colours and controls.

The enterprise identifies its risks post by post (风险辨识), grades each in one of four colours
(风险分级) and controls it at the right level (分级管控). Every change is kept as a revision with who,
when and why, because the register is what its generated check lists and its 安全码 are made from.
"""
