# The tutorial's "Servidor de Chat", unchanged on the wire; it binds the port given in argv (0: the
# system chooses) and prints the bound address first so tests can find it.
import socket
import sys
import threading

clientes = []
apelidos = []


def broadcast(mensagem, remetente=None):
    """Envia mensagem para todos os clientes conectados"""
    for cliente in clientes:
        if cliente != remetente:
            try:
                cliente.send(mensagem)
            except:
                # Remove cliente se houver erro
                indice = clientes.index(cliente)
                clientes.remove(cliente)
                apelidos.pop(indice)


def handle_cliente(cliente):
    """Gerencia a comunicação com um cliente específico"""
    while True:
        try:
            # Receber mensagem
            mensagem = cliente.recv(1024)
            if mensagem:
                broadcast(mensagem, cliente)
            else:
                # Cliente desconectou
                indice = clientes.index(cliente)
                clientes.remove(cliente)
                cliente.close()
                apelido = apelidos[indice]
                apelidos.remove(apelido)
                broadcast(f'{apelido} saiu do chat!'.encode('utf-8'))
                print(f'{apelido} desconectou')
                break
        except:
            indice = clientes.index(cliente)
            clientes.remove(cliente)
            cliente.close()
            apelido = apelidos[indice]
            apelidos.remove(apelido)
            broadcast(f'{apelido} saiu do chat!'.encode('utf-8'))
            print(f'{apelido} desconectou')
            break


def receber_conexoes():
    """Aceita novas conexões de clientes"""
    servidor = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    servidor.bind(('127.0.0.1', int(sys.argv[1]) if len(sys.argv) > 1 else 5000))
    servidor.listen()
    print(f'listening on 127.0.0.1:{servidor.getsockname()[1]}', flush=True)

    while True:
        cliente, endereco = servidor.accept()
        print(f'Conexão estabelecida com {endereco}')

        # Solicitar apelido
        cliente.send('APELIDO'.encode('utf-8'))
        apelido = cliente.recv(1024).decode('utf-8')

        # Adicionar à lista
        apelidos.append(apelido)
        clientes.append(cliente)

        print(f'Apelido do cliente: {apelido}')
        broadcast(f'{apelido} entrou no chat!'.encode('utf-8'))
        cliente.send('Conectado ao servidor!'.encode('utf-8'))

        # Criar thread para o cliente
        thread = threading.Thread(target=handle_cliente, args=(cliente,), daemon=True)
        thread.start()


if __name__ == '__main__':
    receber_conexoes()
