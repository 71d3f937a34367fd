from upward.cli import main

main()
