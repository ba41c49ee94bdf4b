"""The territory as data: communes, EPCI, départements, QPV, and the yearly tables.

`dataset` (the shipped reference and its format), `etalab` (conversion of the npm
package), `resolve` (communes created on demand in the database), `updates`
(`caleol reference import communes|qpv`), `yearly` (quartile thresholds and ceiling
tables imported by file), `missing` (what a séance or a year lacks: the banners).
"""
