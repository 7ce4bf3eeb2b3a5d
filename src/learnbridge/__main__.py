from learnbridge.cli import main

main()
