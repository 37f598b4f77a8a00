from gtmplay.cli import run

run()
