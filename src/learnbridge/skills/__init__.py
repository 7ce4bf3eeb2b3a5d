"""Skill frameworks, their levels, ratings and job profiles' required skills; the skills import."""
