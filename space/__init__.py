"""Mapping of today's practice and the area programme (DESIGN.md §5): units and their ways of working, the
proximity matrix, occupancy studies with their import, the room catalogue and area norms, and each project's
area programme with its plans. Two work products (`mapping`, `area_programme`) on the shared mechanism."""
