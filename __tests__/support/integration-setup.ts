// Integration tests start servers and run the bundled action in a child process: seconds, not milliseconds.
jest.setTimeout(120000)
